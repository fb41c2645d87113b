FROM ubuntu:bionic-20230530
CMD ["bash"]
