/* STUB: replaced by the SCO runtime work */
