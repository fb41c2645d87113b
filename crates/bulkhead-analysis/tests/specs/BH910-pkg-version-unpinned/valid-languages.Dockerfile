FROM python:3.12-slim
RUN pip install --no-cache-dir "flask==3.0.3" "requests~=2.32" "urllib3<3" git+https://github.com/docker/docker-py.git@7.1.0 ./local src/pkg
RUN python3 -m pip install --no-cache-dir -r requirements.txt && uv pip install --system httpx==0.27.0 && pipx install black==24.4.2
FROM node:20-slim
RUN npm install -g pm2@5.4.2 typescript@^5.4 expressjs/express#4.19.2 ./local.tgz file:../lib && yarn global add nodemon@3.1.0 && pnpm add -g zx@8.1.4
FROM rust:1.80
RUN cargo install ripgrep@14.1.0 && cargo install fd-find --version 10.1.0 && cargo install --path . && cargo install --git https://github.com/sharkdp/bat --tag v0.24.0
FROM rockylinux:9
RUN dnf install -y @development-tools 'dnf-command(config-manager)' nginx-1.20.1
