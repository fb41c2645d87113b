FROM alpine:3.20
RUN apk add --no-cache \
    # tools
    curl \
    
	
    git
COPY <<EOF /etc/motd
hello

world
EOF
LABEL a=b \

      c=d
