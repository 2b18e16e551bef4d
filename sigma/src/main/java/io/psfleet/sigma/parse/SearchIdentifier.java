package io.psfleet.sigma.parse;

import java.util.List;

/**
 * A named search of the detection section: alternatives linked with OR, each an AND of items (a map
 * is one alternative; a list of maps is several).
 */
public record SearchIdentifier(String name, List<List<DetectionItem>> alternatives, int line) {
  public SearchIdentifier {
    alternatives = alternatives.stream().map(List::copyOf).toList();
  }
}
