FROM alpine:3.20 AS certs
# A build stage: only the certificate is copied on.
RUN apk add --no-cache openssl && openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=ca -keyout /ca.key -out /ca.pem

FROM nginx:1.27
COPY --from=certs /ca.pem /etc/ssl/certs/ca.pem
# Reading or fingerprinting keys; a throw-away key removed in the same step.
RUN ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub || true
RUN openssl genrsa -out /tmp/ca.key 2048 && openssl req -new -x509 -key /tmp/ca.key -out /ca.pem -subj /CN=x && rm -f /tmp/ca.key
RUN openssl x509 -in /ca.pem -noout -text
