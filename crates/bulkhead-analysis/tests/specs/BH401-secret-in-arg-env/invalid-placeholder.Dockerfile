# Placeholder values are not literal secrets: each is the name-only warning, not an error.
FROM python:3.12-slim
ENV AWS_SECRET_ACCESS_KEY=FAKE_AWS_SECRET_ACCESS_KEY
ENV API_TOKEN=NOT_A_REAL_TOKEN
ENV DB_PASSWORD=changeme
ARG NPM_TOKEN=your-npm-token-here
ENV GITHUB_TOKEN="<github token>"
ENV SMTP_PASSWORD=xxx
# A real-looking value stays an error, and `PSW` is a secret word (Jenkins' `*_PSW`).
ENV DOCKERHUB_PSW=Tr0ub4dor-and-3
