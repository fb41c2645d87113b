# A download into a consumer that succeeds on nothing: a warning, even beside pipes the rule skips.
FROM debian:bookworm-slim
RUN VERSION=$(curl -fsSL https://example.com/v | head -1) && curl -fsSL "https://example.com/$VERSION/install.sh" | sh
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt && curl -fsSL https://example.com/conf | tee /etc/app.conf
RUN curl -fsSL https://example.com/list | xargs -n1 curl -fsSLO
# A consumer the rule does not know: info.
RUN curl -fsSL https://example.com/health | wc -l
# Another command on the left of a consumer that fails open: info.
RUN find / -name '*.so' | xargs strip
# `tar` creating an archive does not read the pipe: the consumer is unknown.
RUN curl -fsSL https://example.com/files | tar -cf /files.tar -T -
