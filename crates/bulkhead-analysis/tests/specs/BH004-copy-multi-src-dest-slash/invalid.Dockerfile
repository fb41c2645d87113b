FROM python:3.12-slim
ARG DEST=/app
COPY requirements.txt setup.py /app
COPY ["a.txt", "b.txt", "/data"]
ADD --chown=1000 one two ${DEST}
copy a \
     b \
     /lib/app
ONBUILD COPY x y /z
COPY <<EOF1 <<EOF2 /etc/conf
one
EOF1
two
EOF2
