package io.chainmesh.common.problem;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import jakarta.validation.ConstraintViolationException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure of a servlet service into RFC 9457 problem+json with a stable {@code code}.
 * Bad input names the field or parameter at fault; anything unexpected is a logged 500.
 */
@RestControllerAdvice
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException ex) {
        return respond(ex.status(), ex.toProblemDetail(), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex) {
        String expected = ex.getRequiredType() == null ? "a valid value" : describe(ex.getRequiredType());
        return respond(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST, "invalid_parameter", "Invalid parameter",
                "Parameter '" + ex.getName() + "' must be " + expected), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraint(ConstraintViolationException ex) {
        String detail = ex.getConstraintViolations().stream()
                .map(v -> v.getPropertyPath() + ": " + v.getMessage()).sorted().collect(Collectors.joining("; "));
        return respond(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed", detail),
                HttpHeaders.EMPTY);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        log.error("Unhandled exception", ex);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "Internal error", "An unexpected error occurred; it has been logged"), HttpHeaders.EMPTY);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
                .toList();
        String detail = ex.getBindingResult().getFieldErrors().stream()
                .map(ProblemExceptionHandler::describe).sorted().collect(Collectors.joining("; "));
        if (detail.isEmpty()) {
            detail = ex.getBindingResult().getAllErrors().stream().map(e -> String.valueOf(e.getDefaultMessage()))
                    .collect(Collectors.joining("; "));
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed", detail);
        problem.setProperty("errors", errors);
        return cast(respond(HttpStatus.BAD_REQUEST, problem, headers));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream()
                        .map(e -> r.getMethodParameter().getParameterName() + ": " + e.getDefaultMessage()))
                .collect(Collectors.joining("; "));
        return cast(respond(HttpStatus.BAD_REQUEST,
                Problems.of(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed", detail), headers));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getCause();
        while (cause != null) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return cast(respond(HttpStatus.CONTENT_TOO_LARGE, tooLarge.toProblemDetail(), headers));
            }
            cause = cause.getCause();
        }
        return cast(respond(HttpStatus.BAD_REQUEST,
                Problems.of(HttpStatus.BAD_REQUEST, "malformed_body", "Malformed request body", describeUnreadable(ex)),
                headers));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return cast(respond(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST, "missing_parameter",
                "Missing parameter", "Query parameter '" + ex.getParameterName() + "' is required"), headers));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return cast(respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type", "Unsupported media type",
                "Content-Type " + ex.getContentType() + " is not supported; send application/json"), headers));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return cast(respond(HttpStatus.NOT_ACCEPTABLE, Problems.of(HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
                "Not acceptable", "This resource is only available as application/json"), headers));
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return cast(respond(HttpStatus.METHOD_NOT_ALLOWED, Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                "Method not allowed", "Method " + ex.getMethod() + " is not allowed here"), headers));
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return cast(respond(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "not_found", "Not found",
                "No resource at /" + ex.getResourcePath()), headers));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException ex) {
        return respond(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST, "missing_header",
                "Missing header", "Header '" + ex.getHeaderName() + "' is required"), HttpHeaders.EMPTY);
    }

    /** Everything else Spring MVC reports gets our code too, so no problem leaves without one. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getProperties() != null
                && problem.getProperties().containsKey("code")) {
            return super.handleExceptionInternal(ex, body, headers, statusCode, request);
        }
        String code = switch (statusCode.value()) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> statusCode.is5xxServerError() ? "internal_error" : "request_rejected";
        };
        String detail = body instanceof ProblemDetail problem && problem.getDetail() != null ? problem.getDetail()
                : "The request could not be processed";
        ProblemDetail problem = Problems.of(statusCode, code, HttpStatus.valueOf(statusCode.value()).getReasonPhrase(), detail);
        return cast(respond(statusCode, problem, headers));
    }

    static String describeUnreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + path(unknown) + "'";
        }
        if (cause instanceof InvalidFormatException invalid) {
            return "Field '" + path(invalid) + "' has an invalid value; expected " + describe(invalid.getTargetType());
        }
        if (cause instanceof MismatchedInputException mismatched) {
            String path = path(mismatched);
            if (path.isEmpty()) {
                return "Request body must be a JSON object of the expected shape";
            }
            return "Field '" + path + "' has the wrong type; expected " + describe(mismatched.getTargetType());
        }
        if (cause instanceof StreamReadException) {
            return "Request body is not valid JSON: " + firstLine(cause.getMessage());
        }
        if (cause instanceof JacksonException jackson) {
            String path = path(jackson);
            return path.isEmpty() ? "Request body could not be read: " + firstLine(jackson.getOriginalMessage())
                    : "Field '" + path + "' could not be read: " + firstLine(jackson.getOriginalMessage());
        }
        if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
            return "Request body is required";
        }
        return "Request body could not be read";
    }

    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private static String describe(FieldError error) {
        return error.getField() + ": " + error.getDefaultMessage();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 timestamp";
        }
        return "a " + type.getSimpleName();
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatusCode status, ProblemDetail problem, HttpHeaders headers) {
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> entity) {
        return (ResponseEntity) entity;
    }
}
