FROM nginx:1.27
RUN openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=localhost \
      -keyout /etc/nginx/key.pem -out /etc/nginx/cert.pem
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server && ssh-keygen -A
RUN ssh-keygen -t ed25519 -N '' -f /root/.ssh/id_ed25519
RUN openssl genrsa -out /etc/ssl/private/app.key 2048
