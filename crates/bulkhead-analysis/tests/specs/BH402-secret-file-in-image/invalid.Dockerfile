FROM python:3.12-slim
ARG KEYFILE=deploy.pem
COPY .env /app/.env
COPY --chown=app:app id_rsa /home/app/.ssh/id_rsa
ADD certs/server.key certs/ca.pem /etc/ssl/
COPY [".npmrc", "package.json", "/app/"]
COPY ${KEYFILE} /keys/
copy config/kubeconfig /root/.kube/config
COPY \
    # cloud credentials
    .aws/ /root/.aws/
ONBUILD COPY .env.production /app/
