# The last command of each pipe fails on empty or cut-off input, so the pipe fails without `pipefail`.
FROM debian:bookworm-slim
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
RUN wget -qO- https://example.com/app.tar.xz | tar xJf - -C /opt
RUN curl -fsSL https://example.com/app.tar | tar --extract --file - -C /opt
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor > /usr/share/keyrings/example.gpg
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN curl -fsSL https://example.com/key.asc | gpg --batch --import
RUN curl -fsSL https://example.com/key.asc | apt-key add -
RUN curl -fsSL https://example.com/app.sha256 | sha256sum -c -
RUN curl -fsSL https://example.com/app.gz | gunzip > /usr/local/bin/app
RUN curl -fsSL https://example.com/app.zst | zstd -d -o /usr/local/bin/app
RUN wget -qO- https://example.com/app.gz | gzip -dc > /usr/local/bin/app
# A pipe that only passes through a consumer that fails closed: the last one decides.
RUN curl -fsSL https://example.com/key.asc | sed 's/\r$//' | gpg --dearmor -o /usr/share/keyrings/example.gpg
# Pipes inside a substitution: `pipefail` on the shell does not reach them.
RUN VERSION=$(curl -fsSL https://api.github.com/repos/o/r/releases/latest | jq -r .tag_name) \
 && curl -fsSL "https://example.com/$VERSION.tar.gz" | tar -xz -C /opt
RUN echo "`curl -fsSL https://example.com/v | head -1`" > /version
RUN for v in $(curl -fsSL https://example.com/versions | sort -u); do echo "$v"; done
RUN diff <(curl -fsSL https://example.com/a | sort) /etc/a
RUN locale -a | grep 'en_US.utf8' && ps aux | egrep -q nginx
