from ubuntu:24.04
cmd ["/usr/local/bin/app"]
