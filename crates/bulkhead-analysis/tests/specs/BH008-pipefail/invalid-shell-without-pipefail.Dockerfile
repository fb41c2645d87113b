FROM ubuntu:24.04
SHELL ["/bin/bash", "-ex", "-c"]
RUN curl -fsSL https://example.com/i.sh | bash
