// Package intent classifies customer utterances into a brand's own intent
// taxonomy.
//
// A brand trains a Model on labelled examples (text, intent) with Train; the
// model hashes each utterance into word uni/bi-grams and character n-grams
// taken inside word boundaries (so typos still share most features), weights
// them TF-IDF style and scores every intent with a linear model. Predict
// returns the best intent and a confidence in [0, 1]; below the model's
// threshold the answer is Unknown, which is how out-of-scope contacts are kept
// away from automations built for a specific intent.
//
// Models are plain data: safe for concurrent use, saved and loaded in a
// versioned, checksummed binary format, and named by Version so that every
// stored prediction can say which model made it.
package intent
