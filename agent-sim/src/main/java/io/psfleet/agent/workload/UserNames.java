package io.psfleet.agent.workload;

import java.util.List;

/**
 * Account names of the fleet's interactive users. A fleet draws from this fixed pool, so files in
 * user profiles (Downloads, Temp) can be registered once for all hosts.
 */
public final class UserNames {
  public static final List<String> POOL =
      List.of(
          "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
          "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter",
          "yasmin", "zoe", "aaron", "bella", "chen", "diego", "elena", "fatima", "gustav", "hana",
          "igor", "jamal", "kofi", "lena", "mateo", "nora", "omar", "priya", "quinn", "raj",
          "sofia", "tomas", "uma", "vera", "wei", "ximena", "yusuf", "zara", "anil", "bruno",
          "chloe", "dmitri", "emma", "felix", "gita", "hugo", "isla", "jonas", "kira", "luca",
          "maya", "nils", "oscar", "paula", "rosa");

  private UserNames() {}
}
