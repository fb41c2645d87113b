FROM debian:bookworm-slim
RUN echo "sslverify=false" >> /etc/yum.conf
RUN echo "strict-ssl=false" | tee /root/.npmrc
RUN printf 'check_certificate = off\n' > /root/.wgetrc
