FROM registry.access.redhat.com/ubi7/ubi-minimal:7.9
CMD ["/app"]
