package io.baton.events;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and writes events as JSON. Writing never fails for a valid record; reading tolerates
 * unknown fields and turns every other problem into a {@link MalformedEventException} that names
 * the field.
 */
public final class EventCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new SimpleModule("baton-instants")
              .addDeserializer(Instant.class, new IsoInstantDeserializer()))
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .serializationInclusion(JsonInclude.Include.NON_ABSENT)
          // Records' helper predicates (isRunningPrimary...) are not fields of the contract.
          .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
          .build();

  private static final Map<Class<?>, String> KINDS =
      Map.of(
          Heartbeat.class, "heartbeat",
          MasterRecord.class, "master record",
          Assignment.class, "assignment",
          OperatorRequest.class, "operator request",
          ClusterEvent.class, "cluster event",
          ClockTick.class, "clock tick");

  private static final Pattern MISSING_PROPERTY =
      Pattern.compile("Missing required creator property '([^']+)'");

  private EventCodec() {}

  /**
   * Moments are ISO-8601 text in UTC, as the schemas' {@code date-time} says; Jackson's own
   * reader would also take a number, or a string of digits, as seconds since the epoch.
   */
  private static final class IsoInstantDeserializer extends StdScalarDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    IsoInstantDeserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String text = parser.hasToken(JsonToken.VALUE_STRING) ? parser.getText() : null;
      try {
        if (text != null) {
          return DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from);
        }
      } catch (DateTimeParseException e) {
        // said below, the same way for a string and for any other token
      }
      throw new IllegalArgumentException(
          (text == null ? "is not text:" : Printable.quote(text) + " is not")
              + " a moment in UTC like 2026-11-21T12:00:00Z");
    }
  }

  /** A copy of the mapper, for code that embeds events in other JSON (HTTP responses). */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  public static byte[] write(Object event) {
    try {
      return MAPPER.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + kind(event.getClass()), e);
    }
  }

  public static String writeString(Object event) {
    return new String(write(event), StandardCharsets.UTF_8);
  }

  public static <T> T read(byte[] json, Class<T> type) {
    if (json == null) {
      throw new MalformedEventException(kind(type), "", "is empty (null value)", null);
    }
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw malformed(kind(type), e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    return read(json == null ? null : json.getBytes(StandardCharsets.UTF_8), type);
  }

  private static String kind(Class<?> type) {
    return KINDS.getOrDefault(type, type.getSimpleName());
  }

  private static MalformedEventException malformed(String kind, IOException e) {
    if (!(e instanceof JsonMappingException mapping)) {
      String detail = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
      if (e instanceof JsonProcessingException) {
        return new MalformedEventException(kind, "", "is not valid JSON: " + firstLine(detail), e);
      }
      throw new UncheckedIOException(e);
    }
    String path = path(mapping.getPath());
    Throwable cause = rootCause(mapping);
    if (cause instanceof InvalidFieldException field) {
      return new MalformedEventException(kind, join(path, field.field()), field.problem(), e);
    }
    if (mapping instanceof InvalidTypeIdException typeId) {
      String property = typeProperty(typeId.getBaseType().getRawClass());
      return new MalformedEventException(
          kind,
          join(path, property),
          typeId.getTypeId() == null
              ? "is missing"
              : "has unknown value " + Printable.quote(typeId.getTypeId()) + " (expected one of "
                  + subtypeNames(typeId.getBaseType().getRawClass()) + ")",
          e);
    }
    Matcher missing = MISSING_PROPERTY.matcher(String.valueOf(mapping.getOriginalMessage()));
    if (missing.find()) {
      return new MalformedEventException(kind, join(path, missing.group(1)), "is missing", e);
    }
    if (cause instanceof IllegalArgumentException invalid && cause != mapping) {
      return new MalformedEventException(kind, path, invalid.getMessage(), e);
    }
    return new MalformedEventException(
        kind, path, "is invalid: " + firstLine(mapping.getOriginalMessage()), e);
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String join(String path, String field) {
    if (path.isEmpty()) {
      return field;
    }
    if (field.isEmpty() || path.endsWith("." + field) || path.equals(field)) {
      return path;
    }
    return path + "." + field;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String typeProperty(Class<?> base) {
    com.fasterxml.jackson.annotation.JsonTypeInfo info =
        base.getAnnotation(com.fasterxml.jackson.annotation.JsonTypeInfo.class);
    return info == null ? "type" : info.property();
  }

  private static String subtypeNames(Class<?> base) {
    JsonSubTypes subtypes = base.getAnnotation(JsonSubTypes.class);
    if (subtypes == null) {
      return "?";
    }
    return Arrays.stream(subtypes.value())
        .map(JsonSubTypes.Type::name)
        .collect(Collectors.joining(", "));
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
