/** The longest knowledge-centre text an administrator can save. */
export const MAX_KNOWLEDGE_CENTRE_CHARACTERS = 100_000;

/** A knowledge-centre file may be at most this large. */
export const MAX_KNOWLEDGE_CENTRE_FILE_BYTES = 10 * 1024 * 1024;
