using System.Security.Claims;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Booking.BuildingBlocks.Web;

public static class AuthSchemes
{
    public const string Staff = "staff";
    public const string Portal = "portal";
}

public static class BookingClaims
{
    public const string Subject = "sub";
    public const string Tenant = PostgresTicketStore.TenantClaim;
    public const string Role = "role";
    public const string Name = "name";

    /// <summary>On a portal session of a client who has not yet filed their first booking request (see <see cref="FirstRequest"/>).</summary>
    public const string AwaitingFirstRequest = "awaiting_first_request";

    public static Guid SubjectId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(Subject)?.Value, out var id) ? id : throw ProblemException.Unauthenticated();
}

/// <summary>Where an endpoint takes its tenant from.</summary>
public enum TenantSource
{
    /// <summary>`?name=` on public booking routes.</summary>
    Query,

    /// <summary>The staff session; a `?name=` that disagrees is refused.</summary>
    StaffSession,

    /// <summary>The client's portal session; a `?name=` that disagrees is refused.</summary>
    PortalSession,
}

public sealed record TenantSourceMetadata(TenantSource Source, IReadOnlyList<string> Roles);

public abstract record TenantLookup
{
    public sealed record Found(TenantInfo Tenant) : TenantLookup;

    public sealed record Missing : TenantLookup;

    public sealed record NotFound : TenantLookup;

    public sealed record Malformed(string Message) : TenantLookup;
}

/// <summary>Turns the `name` query parameter into a tenant; shared by the API middleware and the pages.</summary>
public sealed class TenantResolver(ITenantDirectory directory)
{
    public async ValueTask<TenantLookup> FromQueryAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        if (!query.TryGetValue("name", out var values) || values.Count == 0)
        {
            return new TenantLookup.Missing();
        }

        if (values.Count > 1)
        {
            return new TenantLookup.Malformed("Give the business name once.");
        }

        var slug = Slug.Normalise(values[0]);
        if (slug is null)
        {
            return new TenantLookup.Malformed("A business name is 3–63 letters, digits and single hyphens.");
        }

        var tenant = await directory.FindBySlugAsync(slug, cancellationToken);
        return tenant is { Active: true } ? new TenantLookup.Found(tenant) : new TenantLookup.NotFound();
    }
}

/// <summary>
/// Sets the tenant of the request from what the endpoint declares: `?name=` on public routes, the session on
/// signed-in routes (where a disagreeing `?name=` is refused). Endpoints without a declaration are platform routes.
/// </summary>
public sealed class TenantResolutionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, TenantResolver resolver, ITenantDirectory directory, ITenantContext tenantContext, ILogger<TenantResolutionMiddleware> logger)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<TenantSourceMetadata>();
        if (metadata is null)
        {
            await next(context);
            return;
        }

        var lookup = await resolver.FromQueryAsync(context.Request.Query, context.RequestAborted);
        if (lookup is TenantLookup.Malformed malformed)
        {
            throw ProblemException.Invalid("name", malformed.Message);
        }

        if (metadata.Source == TenantSource.Query)
        {
            var tenant = lookup switch
            {
                TenantLookup.Found found => found.Tenant,
                TenantLookup.Missing => throw ProblemException.Invalid("name", "Give the business name (?name=)."),
                _ => throw ProblemException.NotFound("Business not found."),
            };
            tenantContext.Set(tenant);
            await ThrowIfPortalOffAsync(context);
            using (Diagnostics.Tag(context, logger, tenant))
            {
                await next(context);
            }

            return;
        }

        var scheme = metadata.Source == TenantSource.StaffSession ? AuthSchemes.Staff : AuthSchemes.Portal;
        var auth = await context.AuthenticateAsync(scheme);
        if (!auth.Succeeded || !Guid.TryParse(auth.Principal.FindFirst(BookingClaims.Tenant)?.Value, out var tenantId))
        {
            throw ProblemException.Unauthenticated();
        }

        var sessionTenant = await directory.FindByIdAsync(tenantId, context.RequestAborted);
        if (sessionTenant is not { Active: true })
        {
            throw ProblemException.Unauthenticated("This business is no longer available.");
        }

        if (lookup is TenantLookup.Found named && named.Tenant.Id != sessionTenant.Id
            || lookup is TenantLookup.NotFound)
        {
            throw ProblemException.TenantMismatch();
        }

        if (metadata.Roles.Count > 0 && !metadata.Roles.Contains(auth.Principal.FindFirst(BookingClaims.Role)?.Value ?? ""))
        {
            throw ProblemException.Forbidden();
        }

        context.User = auth.Principal;
        tenantContext.Set(sessionTenant);
        if (metadata.Source == TenantSource.PortalSession
            && await PortalSignInMethod.SwitchedOffAsync(context, auth.Principal, context.RequestAborted) is { } switchedOff)
        {
            await PortalSignInMethod.EndSessionAsync(context);
            // Signing out of such a session is what happened anyway: sign-out answers its 204, as API.md says.
            if (context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.EndpointNameMetadata>()?.EndpointName != "PortalSignOut")
            {
                throw PortalSignInMethod.Ended(switchedOff);
            }
        }

        if (metadata.Source == TenantSource.StaffSession)
        {
            context.RequestServices.GetRequiredService<IStaffContext>()
                .Set(new StaffInfo(auth.Principal.SubjectId(), auth.Principal.FindFirst(BookingClaims.Role)?.Value ?? ""));
        }

        await ThrowIfPortalOffAsync(context);
        await ThrowIfFirstRequestOwedAsync(context);
        using (Diagnostics.Tag(context, logger, sessionTenant))
        {
            await next(context);
        }
    }

    /// <summary>
    /// A client who joined by phone and has not filed their first booking request may use only the booking flow's routes.
    /// Only their sessions carry the mark, so only they pay for the look at their row.
    /// </summary>
    private static async Task ThrowIfFirstRequestOwedAsync(HttpContext context)
    {
        if (!FirstRequest.IsAwaiting(context.User) || context.GetEndpoint()?.Metadata.GetMetadata<OpenBeforeFirstRequestMetadata>() is not null)
        {
            return;
        }

        var gate = context.RequestServices.GetRequiredService<IFirstRequestGate>();
        if (await FirstRequest.StillAwaitingAsync(context, gate, context.User.SubjectId(), context.RequestAborted))
        {
            throw FirstRequest.Required();
        }
    }

    private static async Task ThrowIfPortalOffAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<PortalRouteMetadata>() is null)
        {
            return;
        }

        var gate = context.RequestServices.GetRequiredService<IPortalGate>();
        if (!await gate.IsEnabledAsync(context.RequestAborted))
        {
            throw PortalGateExtensions.PortalDisabled();
        }
    }
}

public static class TenantEndpointExtensions
{
    // What the middleware above answers before the endpoint runs, declared with the tenant's source.
    public static TBuilder WithTenantFromQuery<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new TenantSourceMetadata(TenantSource.Query, []))
            .Answers(400, ProblemKinds.Validation)
            .Answers(404, ProblemKinds.NotFound);

    /// <summary>A staff session of this tenant; with roles, only those (name them from <see cref="StaffRoles"/>).</summary>
    public static TBuilder RequireStaff<TBuilder>(this TBuilder builder, params IReadOnlyList<string> roles)
        where TBuilder : IEndpointConventionBuilder =>
        SessionAnswers(builder.WithMetadata(new TenantSourceMetadata(TenantSource.StaffSession, roles)))
            .Answers(403, roles.Count > 0 ? [ProblemKinds.Forbidden] : []);

    public static TBuilder RequirePortalClient<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        SessionAnswers(builder.WithMetadata(new TenantSourceMetadata(TenantSource.PortalSession, [])));

    private static TBuilder SessionAnswers<TBuilder>(TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Answers(400, ProblemKinds.Validation)
            .Answers(401, ProblemKinds.Unauthenticated)
            .Answers(403, ProblemKinds.TenantMismatch);
}

/// <summary>Puts the tenant on the request's log lines.</summary>
public static class Diagnostics
{
    public const string TenantItem = "booking.tenant";

    public static IDisposable? Tag(HttpContext context, ILogger logger, TenantInfo tenant)
    {
        context.Items[TenantItem] = tenant.Slug;
        return logger.BeginScope(new Dictionary<string, object> { ["TenantSlug"] = tenant.Slug });
    }
}
