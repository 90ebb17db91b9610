package dev.gatehouse.cli;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import java.io.PrintWriter;

/** Prints engine errors the way opa does: {@code N errors occurred:} then {@code file:row: code: message}. */
final class Errors {
  private Errors() {}

  static void print(PrintWriter err, RegoException e) {
    if (e.errors().size() == 1) {
      err.println("1 error occurred: " + e.errors().get(0));
    } else {
      err.println(e.errors().size() + " errors occurred:");
      for (RegoError r : e.errors()) {
        err.println(r);
      }
    }
    err.flush();
  }
}
