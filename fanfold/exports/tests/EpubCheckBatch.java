// Runs EPUBCheck over several books in one Java process: the JVM's start-up and
// warm-up dominate a single check, so the test suite checks every book in one go.
// Launched as a single source file (java -cp epubcheck.jar EpubCheckBatch.java ...).
public class EpubCheckBatch {
    public static void main(String[] args) {
        int failed = 0;
        for (String path : args) {
            System.out.println("=== book " + path);
            int code = new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {path});
            System.out.println("=== exit " + code);
            if (code != 0) failed++;
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
