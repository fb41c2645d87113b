# Documentation and test fixtures: stand-ins, not credentials.
FROM alpine:3.20
ENV AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX
ENV GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
RUN curl https://deploy:NOT_A_REAL_PASSWORD@artifacts.example.com/app.tar.gz \
    && curl https://deploy:changeme@artifacts.example.com/app.tar.gz \
    && curl -H "Authorization: Bearer YOUR_TOKEN_HERE" https://api.example.com/ \
    && curl -H "Authorization: Bearer <your-token>" https://api.example.com/
