FROM ubuntu:24.04
# root by name is BH201's business.
USER root
