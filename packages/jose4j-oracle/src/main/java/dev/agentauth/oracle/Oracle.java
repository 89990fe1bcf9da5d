package dev.agentauth.oracle;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

/**
 * The platform's token issuer and verifier (jose4j, configured as the platform's Scala code does),
 * driven one JSON object per line: {"op":"mint",...} or {"op":"verify",...} on stdin, one answer
 * per line on stdout. One long-lived JVM serves a whole differential run.
 */
public final class Oracle {
  private static final String[] ROLES = {"INACTIVE", "RESTRICTED", "REGULAR", "ADMIN"};

  private Oracle() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      Map<String, Object> answer;
      try {
        Map<String, Object> request = JsonUtil.parseJson(line);
        answer =
            switch (String.valueOf(request.get("op"))) {
              case "mint" -> mint(request);
              case "verify" -> verify(request);
              default -> Map.of("error", "unknown op");
            };
      } catch (Exception e) {
        answer = Map.of("error", "bad request: " + e.getClass().getSimpleName());
      }
      out.println(JsonUtil.toJson(answer));
      out.flush();
    }
  }

  /** The key the platform signs and verifies with: UTF-8 of the lower-cased secret. */
  private static HmacKey key(Map<String, Object> request) {
    String secret = String.valueOf(request.get("secret")).toLowerCase();
    return new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
  }

  private static long now(Map<String, Object> request) {
    return ((Number) request.get("now")).longValue();
  }

  /** As the platform's issuer: the claims in its order, nulls written out, {"alg":"HS256"}. */
  private static Map<String, Object> mint(Map<String, Object> request) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> user = (Map<String, Object>) request.get("user");
    JwtClaims claims = new JwtClaims();
    claims.setSubject((String) user.get("name"));
    claims.setClaim("userId", Integer.valueOf(((Number) user.get("uid")).intValue()));
    claims.setClaim("googleId", user.get("googleId"));
    claims.setClaim("email", user.get("email"));
    claims.setClaim("role", user.get("role"));
    claims.setClaim("googleAvatar", user.get("googleAvatar"));
    // setExpirationTimeMinutesInTheFuture, at the request's frozen "now".
    float minutes = ((Number) request.get("expiryMinutes")).floatValue();
    NumericDate exp = NumericDate.fromSeconds(now(request));
    exp.addSeconds((long) (minutes * 60));
    claims.setExpirationTime(exp);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
    jws.setKey(key(request));
    return Map.of("token", jws.getCompactSerialization());
  }

  /** As the platform's JwtConsumer, then its reading of the session user. */
  private static Map<String, Object> verify(Map<String, Object> request) {
    JwtConsumer consumer =
        new JwtConsumerBuilder()
            .setAllowedClockSkewInSeconds(30)
            .setRequireExpirationTime()
            .setRequireSubject()
            .setVerificationKey(key(request))
            .setRelaxVerificationKeyValidation()
            .setEvaluationTime(NumericDate.fromSeconds(now(request)))
            .build();
    try {
      JwtClaims claims = consumer.processToClaims(String.valueOf(request.get("token")));
      Map<String, Object> user = new LinkedHashMap<>();
      user.put("name", claims.getSubject());
      // The platform: claims.getClaimValue("userId").asInstanceOf[Long].toInt, where Scala turns
      // a missing (null) value into 0 and a Double or String into a ClassCastException.
      Object uidClaim = claims.getClaimValue("userId");
      long uid = uidClaim == null ? 0L : (Long) uidClaim;
      user.put("uid", (int) uid);
      user.put("email", claims.getStringClaimValue("email"));
      user.put("googleId", claims.getStringClaimValue("googleId"));
      String role = claims.getStringClaimValue("role");
      if (role == null || !java.util.Arrays.asList(ROLES).contains(role))
        throw new IllegalStateException("unknown role");
      user.put("role", role);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("ok", Boolean.TRUE);
      answer.put("user", user);
      answer.put("exp", claims.getExpirationTime().getValue());
      return answer;
    } catch (Exception e) {
      // A class name only: the message may quote claim values.
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("ok", Boolean.FALSE);
      answer.put("error", e.getClass().getSimpleName());
      return answer;
    }
  }
}
