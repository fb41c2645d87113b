FROM debian:bookworm-slim
RUN apt-get install -y curl=7.88.1-10 ./local.deb
RUN pip install -r requirements.txt . flask==3.0.3 "git+https://example.com/x.git@v1.0"
RUN npm install && npm ci && npm install -g pm2@5.4.2 @scope/tool@1.0.0
RUN gem install bundler -v 2.5.0 && go install golang.org/x/tools/gopls@v0.16.1 && go install ./cmd/app
RUN apk add --no-cache gcc=13.2.1-r0 && dnf install -y nginx-1.20.1 /tmp/x.rpm
