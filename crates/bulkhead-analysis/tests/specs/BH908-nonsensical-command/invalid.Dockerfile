FROM debian:bookworm-slim
RUN service nginx start
RUN apt-get update && apt-get install -y vim && vim /etc/nginx/nginx.conf
ONBUILD RUN ps aux | grep nginx
run shutdown -h now
RUN systemctl restart sshd \
    # then stop it again
    && kill 1
RUN ifconfig && free -m && top -b -n 1
RUN ssh git@github.com
