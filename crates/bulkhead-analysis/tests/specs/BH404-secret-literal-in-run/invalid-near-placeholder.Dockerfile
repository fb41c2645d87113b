# Real-looking values next to the placeholder forms still count.
FROM alpine:3.20
ENV GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345
RUN curl https://deploy:s3cr3t-Passw0rd@artifacts.example.com/app.tar.gz
