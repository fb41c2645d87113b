FROM alpine:3.20
ADD app.conf /etc/app/
ADD --chown=app:app --chmod=644 a.txt b.txt /srv/
add config.json /app/
ADD https://example.com/tool-1.2.3-linux-amd64 /usr/local/bin/tool
ADD <<EOF /etc/motd
hello
EOF
ADD --keep-git-dir=true vendor /src/vendor
ONBUILD ADD . /app
