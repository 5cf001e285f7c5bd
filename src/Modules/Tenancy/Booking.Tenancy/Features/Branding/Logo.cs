using System.Security.Cryptography;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.PortalSettings;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace Booking.Tenancy.Features.Branding;

/// <summary>
/// Content: the uploaded bytes, read up to <see cref="BrandingLogo.MaxBytes"/> + 1 (so "too big" is visible
/// without buffering a huge upload); null when no file came.
/// </summary>
public sealed record UploadLogo(byte[]? Content) : ICommand<BrandingView>
{
    /// <summary>
    /// The upload's request body limit (the API route and the setup page; the app's default is 1 MB, decision 298): a
    /// phone photo of a few MB meets the validator's "larger than 1 MB" rather than a bare 413.
    /// </summary>
    public const long MaxRequestBytes = 8 * 1024 * 1024;

    /// <summary>Reads a stream the way the command wants it: at most one byte past the limit.</summary>
    public static async Task<byte[]> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            var room = BrandingLogo.MaxBytes + 1 - (int)buffer.Length;
            buffer.Write(chunk, 0, Math.Min(read, room));
            if (buffer.Length > BrandingLogo.MaxBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }
}

public sealed record RemoveLogo : ICommand<BrandingView>;

public sealed record GetLogo : IQuery<LogoFile?>;

public sealed record LogoFile(string ContentType, byte[] Content, string ETag, DateTimeOffset UpdatedAt);

public sealed class UploadLogoValidator : AbstractValidator<UploadLogo>
{
    public const string Field = "logo";

    public UploadLogoValidator()
    {
        RuleFor(x => x.Content).Cascade(CascadeMode.Stop)
            .Must(c => c is { Length: > 0 }).WithMessage("Choose an image file (PNG, JPEG or WebP).")
            .Must(c => c!.Length <= BrandingLogo.MaxBytes).WithMessage("The logo is larger than 1 MB; use a smaller image.")
            .Must(c => LogoImage.Check(c).Fault is not LogoFault.NotAnImage)
            .WithMessage("The logo must be a PNG, JPEG or WebP image (SVG and other formats are not accepted).")
            .Must(c => LogoImage.Check(c).Fault is not LogoFault.Damaged)
            .WithMessage("The image file is incomplete or damaged. Save it again from your image editor and upload it.")
            .Must(c => LogoImage.Check(c).Fault is not LogoFault.TooLarge)
            .WithMessage($"The logo is more than {LogoImage.MaxSide} pixels wide or tall; use a smaller image.")
            .OverridePropertyName(Field);
    }
}

public sealed class UploadLogoHandler(TenancyDbContext db, ITenantContext tenant, PortalSettingsStore store, TimeProvider clock)
    : ICommandHandler<UploadLogo, BrandingView>
{
    /// <summary>A business's first logo (or first settings) saved twice at once: the second meets the first's row in its key and is made again on it.</summary>
    public async ValueTask<BrandingView> Handle(UploadLogo command, CancellationToken cancellationToken)
    {
        var view = await db.RetryOnConcurrentChangeAsync(() => SaveAsync(command, cancellationToken), ex => ex.IsUniqueViolation());
        await store.DropAsync(tenant.TenantId!.Value);
        return view;
    }

    private async Task<BrandingView> SaveAsync(UploadLogo command, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId!.Value;
        var now = clock.GetUtcNow();
        var content = command.Content!;
        var logo = await db.Logos.FirstOrDefaultAsync(cancellationToken);
        if (logo is null)
        {
            logo = new BrandingLogo { TenantId = tenantId };
            db.Logos.Add(logo);
        }

        logo.ContentType = LogoImage.Detect(content)!;
        logo.Content = content;
        logo.ETag = Convert.ToHexStringLower(SHA256.HashData(content))[..32];
        logo.UpdatedAt = now;
        var settings = await LogoSettings.SetAsync(db, tenant.Current!, logo.ETag, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new BrandingView(settings.BrandingColour, settings.HasLogo, settings.LogoVersion);
    }
}

public sealed class RemoveLogoHandler(TenancyDbContext db, ITenantContext tenant, PortalSettingsStore store, TimeProvider clock)
    : ICommandHandler<RemoveLogo, BrandingView>
{
    public async ValueTask<BrandingView> Handle(RemoveLogo command, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId!.Value;
        var view = await db.RetryOnConcurrentChangeAsync(async () =>
        {
            await db.Logos.ExecuteDeleteAsync(cancellationToken);
            var settings = await LogoSettings.SetAsync(db, tenant.Current!, version: null, clock.GetUtcNow(), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return new BrandingView(settings.BrandingColour, settings.HasLogo, settings.LogoVersion);
        }, ex => ex.IsUniqueViolation());
        await store.DropAsync(tenantId);
        return view;
    }
}

public sealed class GetLogoHandler(TenancyDbContext db) : IQueryHandler<GetLogo, LogoFile?>
{
    public async ValueTask<LogoFile?> Handle(GetLogo query, CancellationToken cancellationToken) =>
        await db.Logos.AsNoTracking().Select(l => new LogoFile(l.ContentType, l.Content, l.ETag, l.UpdatedAt)).FirstOrDefaultAsync(cancellationToken);
}

internal static class LogoSettings
{
    /// <summary>
    /// HasLogo and the logo's version live in the portal settings (so GetPortalSettings and the portal see them); the
    /// row may not exist yet. <paramref name="version"/> null: no logo.
    /// </summary>
    public static async Task<Domain.PortalSettings> SetAsync(TenancyDbContext db, TenantInfo tenant, string? version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = await db.PortalSettings.FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = Domain.PortalSettings.NewFor(tenant.Id, tenant.CountryCode);
            db.PortalSettings.Add(settings);
        }

        settings.HasLogo = version is not null;
        settings.LogoVersion = version;
        settings.UpdatedAt = now;
        return settings;
    }
}

public static class LogoEndpoints
{
    public static void MapLogo(this IEndpointRouteBuilder app)
    {
        // Read as a form by hand (no IFormFile binding): the route is cookie-authenticated like every admin route and
        // guarded by SameSite=Lax cookies plus the same-origin check, not by antiforgery tokens.
        // No Accepts metadata: with it, routing refuses other bodies with a bare 415 that the API's status pages word
        // for JSON endpoints; the handler's own 415 says what this route wants. The document gets the body below.
        app.MapPut("/api/v1/admin/branding/logo", async (HttpContext http, ISender sender, CancellationToken ct) =>
            {
                if (!http.Request.HasFormContentType)
                {
                    throw new ProblemException(ProblemKinds.UnsupportedMediaType, 415, "Unsupported media type",
                        "Send the logo as multipart/form-data with a file field named \"logo\".");
                }

                var form = await http.Request.ReadFormAsync(ct);
                var file = form.Files.GetFile(UploadLogoValidator.Field) ?? form.Files.FirstOrDefault();
                byte[]? content = null;
                if (file is not null)
                {
                    await using var stream = file.OpenReadStream();
                    content = await UploadLogo.ReadBoundedAsync(stream, ct);
                }

                return Results.Ok(await sender.Send(new UploadLogo(content), ct));
            })
            .RequireStaff(StaffRoles.Setup)
            .WithBodyLimit(UploadLogo.MaxRequestBytes)
            .WithName("UploadLogo")
            .WithTags("Setup")
            .WithSummary("Upload the business's logo: PNG, JPEG or WebP (by content), at most 1 MB, as multipart field \"logo\".")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = MultipartLogoBody();
                return Task.CompletedTask;
            })
            .Answers(400, ProblemKinds.Validation).Answers(409, ProblemKinds.ChangedMeanwhile).Answers(415, ProblemKinds.UnsupportedMediaType)
            .Produces<BrandingView>()
            .ProducesValidationProblem();

        app.MapDelete("/api/v1/admin/branding/logo", async (ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RemoveLogo(), ct);
                return Results.NoContent();
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("RemoveLogo")
            .Answers(409, ProblemKinds.ChangedMeanwhile)
            .WithTags("Setup")
            .Produces(StatusCodes.Status204NoContent);

        app.MapGet("/branding/logo", async (string? v, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var logo = await sender.Send(new GetLogo(), ct) ?? throw ProblemException.NotFound("This business has no logo.");

                // The address with the current version (what the portal and emails link to) never shows another image:
                // browsers keep it for good. Without it, or with an old one, they ask again after five minutes.
                http.Response.Headers.CacheControl = v == logo.ETag ? "public, max-age=31536000, immutable" : "public, max-age=300";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
                return Results.File(logo.Content, logo.ContentType, lastModified: logo.UpdatedAt,
                    entityTag: new EntityTagHeaderValue($"\"{logo.ETag}\""));
            })
            .WithTenantFromQuery()
            .WithName("GetLogo")
            .WithTags("Portal")
            .WithSummary("The business's logo (public), with ETag and Cache-Control (kept for good with `v` = the current `logoVersion`, else 5 minutes); 404 when it has none.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .Produces(StatusCodes.Status304NotModified);
    }

    private static OpenApiRequestBody MultipartLogoBody() => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["multipart/form-data"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { UploadLogoValidator.Field },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        [UploadLogoValidator.Field] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                    },
                },
            },
        },
    };
}
