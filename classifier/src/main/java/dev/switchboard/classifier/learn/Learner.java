package dev.switchboard.classifier.learn;

/**
 * One configured member of the family (a family and its hyper-parameters).
 *
 * @see RouterTrainer
 */
public interface Learner {

  Family family();

  /** Family and settings, e.g. {@code logreg(l2=0.01)}: the name in cards and logs. */
  String name();

  Fitted fit(Data train, long seed);
}
