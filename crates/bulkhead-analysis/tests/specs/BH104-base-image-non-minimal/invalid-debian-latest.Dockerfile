FROM debian
CMD ["/usr/local/bin/app"]
