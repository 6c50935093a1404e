// Package cues flags emotion and vulnerability cues in what customers say:
// anger or frustration, anxiety, bereavement, serious illness, financial
// hardship, accessibility needs and threats to leave, each with the byte
// spans that are its evidence.
//
// Routing and governance policies use the flags to keep emotional and
// vulnerable customers with humans, QA uses them to check the agent noticed,
// and metrics count them. Detection runs on every interaction at ingest, so
// it is one pass over each customer turn's tokens through a compiled phrase
// lexicon (lexicon.txt, package phrase), negation-aware ("I'm not angry",
// "no money worries") and guarded against look-alikes ("my phone died",
// "blind with rage", "cancel my order"). Only customer turns are read:
// agents and bots saying "I'm sorry for your loss" flag nothing.
//
// The lexicon is versioned with the package (Version); change Version when
// a change to it would change stored flags.
package cues
