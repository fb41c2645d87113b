FROM example.com/custom/base:1
RUN curl -fsSL https://example.com/i.sh | sh
