FROM python:3.12-slim
RUN pip install --no-cache-dir "flask>=3" git+https://github.com/docker/docker-py.git
RUN python3 -m pip install --no-cache-dir requests
RUN uv pip install --system httpx && pipx install black
FROM node:20-slim
RUN npm install -g pm2@latest typescript@next expressjs/express
RUN yarn global add nodemon && pnpm add -g zx
FROM rust:1.80
RUN cargo install ripgrep && cargo install --git https://github.com/sharkdp/fd
FROM debian:bookworm-slim
RUN apt-get install -y curl/bookworm-backports
