import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One list of Deployments the way the exporter's own client does it: OkHttp and Jackson's tree,
 * both already in the server jar. Usage: OkHttpList URL TOKEN. Benchmark code only.
 */
public final class OkHttpList {
  public static void main(String[] args) throws Exception {
    OkHttpClient client = new OkHttpClient();
    Request request = new Request.Builder()
        .url(args[0] + "/apis/apps/v1/namespaces/pix/deployments?limit=100")
        .header("Authorization", "Bearer " + args[1]).build();
    try (Response response = client.newCall(request).execute()) {
      JsonNode list = new ObjectMapper().readTree(response.body().byteStream());
      Report.firstList(list.path("items").size());
    }
    System.exit(0);
  }
}
