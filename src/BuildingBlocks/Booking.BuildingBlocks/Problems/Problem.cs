namespace Booking.BuildingBlocks.Problems;

/// <summary>The stable problem kinds of the API contract; clients compare the last segment of `type`.</summary>
public static class ProblemKinds
{
    public const string BaseUri = "https://booking.example/problems/";
    public const string Validation = "validation";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string TenantMismatch = "tenant-mismatch";
    public const string PortalDisabled = "portal-disabled";
    public const string AccessLevelOff = "access-level-off";
    public const string NotAcceptingNewClients = "not-accepting-new-clients";
    public const string NotFound = "not-found";
    public const string SlotConflict = "slot-conflict";
    public const string SlotUnavailable = "slot-unavailable";
    public const string PolicyWindow = "policy-window";
    public const string IdempotencyKeyReuse = "idempotency-key-reuse";
    public const string IdempotencyInProgress = "idempotency-in-progress";
    public const string InvalidCode = "invalid-code";
    public const string AttemptExpired = "attempt-expired";
    public const string RateLimited = "rate-limited";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string ServerError = "server-error";
    public const string ChangedMeanwhile = "changed-meanwhile";

    /// <summary>409: a portal booking past the client's limit of upcoming appointments or waiting requests (docs/api-additions.md).</summary>
    public const string BookingLimit = "booking-limit";

    /// <summary>409: a portal booking overlapping the client's own live appointment, not for another pet (docs/api-additions.md).</summary>
    public const string OwnAppointmentOverlap = "own-appointment-overlap";

    /// <summary>503: a booking whose save lost its connection and is not in the database (docs/api-additions.md).</summary>
    public const string BookingNotSaved = "booking-not-saved";

    /// <summary>409: a client's cancel of an appointment that has started or taken place (docs/api-additions.md).</summary>
    public const string AlreadyHappened = "already-happened";

    /// <summary>409: a client's cancel inside the window after staff kept the appointment on an earlier request (docs/api-additions.md).</summary>
    public const string CancellationDeclined = "cancellation-declined";

    /// <summary>409: a client's cancellation request after taking back as many of one appointment's as they may (docs/api-additions.md, decision 309).</summary>
    public const string CancellationRequestLimit = "cancellation-request-limit";

    /// <summary>409: a client's withdrawal of a cancellation request that is no longer open (docs/api-additions.md).</summary>
    public const string NoOpenCancellationRequest = "no-open-cancellation-request";

    /// <summary>409: staff deciding a booking or cancellation request the client withdrew (docs/api-additions.md).</summary>
    public const string RequestWithdrawn = "request-withdrawn";

    /// <summary>413: a request body over its route's limit (docs/api-additions.md, decision 298).</summary>
    public const string ContentTooLarge = "content-too-large";

    public static string Uri(string kind) => BaseUri + kind;
}

/// <summary>
/// A business outcome that is not success, thrown by handlers and written as RFC 9457 problem details by the host.
/// </summary>
public class ProblemException(string kind, int status, string title, string? detail = null) : Exception(detail ?? title)
{
    public string Kind { get; } = kind;

    public int Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();

    /// <summary>Seconds for a Retry-After header (rate-limited).</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ProblemException NotFound(string what = "The resource was not found.") =>
        new(ProblemKinds.NotFound, 404, "Not found", what);

    /// <summary>A route id: a malformed one answers 404 like a missing one (the API contract), never 400.</summary>
    public static Guid IdOrNotFound(string? id, string what = "The resource was not found.") =>
        Guid.TryParse(id, out var guid) ? guid : throw NotFound(what);

    public static ProblemException Unauthenticated(string detail = "Sign in to continue.") =>
        new(ProblemKinds.Unauthenticated, 401, "Not signed in", detail);

    public static ProblemException Forbidden(string detail = "Your role may not do this.") =>
        new(ProblemKinds.Forbidden, 403, "Forbidden", detail);

    public static ProblemException TenantMismatch() =>
        new(ProblemKinds.TenantMismatch, 403, "Wrong business", "The business in the address is not the one you are signed in to.");

    /// <summary>409: the change met another one made at the same moment and saved nothing; look again and retry.</summary>
    public static ProblemException ChangedMeanwhile(string detail) =>
        new(ProblemKinds.ChangedMeanwhile, 409, "Changed meanwhile", detail);

    public static ProblemException RateLimited(int retryAfterSeconds, string detail = "Too many attempts. Try again later.") =>
        new(ProblemKinds.RateLimited, 429, "Too many requests", detail) { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>A validation problem for fields a validator could not judge alone (a slug already taken).</summary>
    public static FluentValidation.ValidationException Invalid(string field, string message) =>
        new([new FluentValidation.Results.ValidationFailure(field, message)]);
}
