FROM alpine:3.20
ARG GITLAB_TOKEN=glpat-Ab3dEf6hIj9kLm2nOp5q
ENV AWS_ACCESS_KEY_ID=AKIAZ7VXQ2KD4MN5PLR3
LABEL org.opencontainers.image.source="https://ci:Tr0ub4dor-and-3@git.example.com/app.git"
RUN git clone https://x-access-token:ghp_Zx9Kq2Lm4Np6Rs8Tu0Vw1Xy3Za5Bc7De9Fg1@github.com/example/app.git /src
RUN curl -fsS \
    # fetch the release
    -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl" \
    https://api.example.com/release
COPY <<EOF /root/.ssh/id_ed25519
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAA
-----END OPENSSH PRIVATE KEY-----
EOF
ONBUILD RUN curl -d "token=xoxb-2048-4096-Q7w8E9r0T1y2U3i4" https://slack.example.com/api
