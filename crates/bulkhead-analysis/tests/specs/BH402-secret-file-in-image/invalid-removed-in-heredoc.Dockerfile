FROM python:3.12-slim
COPY .netrc /root/.netrc
RUN <<EOF
pip download --no-deps private-pkg
rm /root/.netrc
EOF
