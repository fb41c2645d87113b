ARG NODE_TLS_REJECT_UNAUTHORIZED=0
FROM debian:bookworm-slim
ENV GIT_SSL_NO_VERIFY=true
ENV PYTHONHTTPSVERIFY=0 LANG=C.UTF-8
arg NPM_CONFIG_STRICT_SSL=false
RUN curl -fsSLk -o /tmp/a https://example.com/a \
    # then the second file
    && curl --insecure -o /tmp/b https://example.com/b
RUN wget --no-check-certificate -q https://example.com/c
RUN pip install --trusted-host pypi.example.com requests && pip3 install --trusted-host=pypi.org flask
RUN npm config set strict-ssl false && npm install
RUN yarn config set strict-ssl false
RUN git -c http.sslVerify=false clone https://example.com/repo.git
RUN git config --global http.sslVerify false && git clone https://example.com/r.git
RUN GIT_SSL_NO_VERIFY=1 git clone https://example.com/x.git
ONBUILD RUN export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci
RUN apt-get -o Acquire::https::Verify-Peer=false update
RUN dnf --setopt=sslverify=false install -y nginx
RUN echo "sslverify=false" >> /etc/yum.conf
RUN npm install --strict-ssl=false left-pad
