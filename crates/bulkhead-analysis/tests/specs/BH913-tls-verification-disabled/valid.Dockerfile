FROM debian:bookworm-slim
ARG GIT_SSL_NO_VERIFY
ENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1 NPM_CONFIG_STRICT_SSL=true
RUN curl -fsSL -K /etc/curlrc -o /tmp/a https://example.com/a
RUN wget -q https://example.com/b && pip install --index-url https://pypi.org/simple requests
RUN npm config set strict-ssl true && git -c http.sslVerify=true clone https://example.com/r.git
RUN git config --global http.sslCAInfo /etc/ssl/certs/ca.pem
RUN echo "check_certificate = on" > /root/.wgetrc && echo "insecure-looking text" > /tmp/readme
