# syntax=docker/dockerfile:1
FROM alpine:3.20
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
RUN --mount=type=secret,id=gh,env=GITHUB_TOKEN \
    git clone "https://x-access-token:${GITHUB_TOKEN}@github.com/example/app.git" /src
RUN curl -H "Authorization: Bearer $API_TOKEN" https://api.example.com/ \
    && curl https://$USER:$PASS@example.com/x \
    && git clone git@github.com:example/app.git \
    && wget https://user:password@example.com/placeholder
RUN echo "-----BEGIN PUBLIC KEY-----" && apt-get install -y disk-0123456789-utilities-long-name
LABEL url=https://example.com:8080/path@v1 task=sk-some-long-option-name-here
