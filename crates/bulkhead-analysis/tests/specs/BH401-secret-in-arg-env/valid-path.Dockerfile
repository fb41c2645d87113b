# A variable whose value is a path points at a secret; it does not hold one.
FROM python:3.12-slim
ENV GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json
ENV AWS_SHARED_CREDENTIALS=$HOME/.aws/credentials
ARG SSH_KEY=~/.ssh/id_ed25519
ENV SECRETS=./config/secrets.yaml
