FROM alpine:3.20
ENV A b
LABEL x y z
