from ubuntu:24.04
cmd ["bash"]
