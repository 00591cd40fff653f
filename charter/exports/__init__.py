"""Files readers download: Word redlines and stamped copies. Pure: plain data in, bytes out."""
