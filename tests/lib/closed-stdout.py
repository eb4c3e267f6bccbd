# closed_pipe none (bad-input.bash): runs ARGV with stdout a pipe whose read end is already
# closed, SIGPIPE at its default as a shell would leave it.
import os, signal, sys
r, w = os.pipe(); os.close(r); os.dup2(w, 1); os.close(w)
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])
