# `echo` without a redirection writes to the build log, not a configuration.
FROM debian:bookworm-slim
RUN echo "remember: sslverify=false is not allowed here"
RUN printf 'strict-ssl=false is what we do NOT do\n' && echo done
# An unpaired quote is part of a longer text, not the value `false`.
RUN export YARN_ENABLE_STRICT_SSL='false"' && yarn install
