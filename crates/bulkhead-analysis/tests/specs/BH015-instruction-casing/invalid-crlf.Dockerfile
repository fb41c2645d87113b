FROM alpine:3.20 AS Base
RUN true
from Base
RUN true
