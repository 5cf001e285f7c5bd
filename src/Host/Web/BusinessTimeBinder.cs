using System.Globalization;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using NodaTime;

namespace Booking.Host.Web;

/// <summary>
/// A page's time from the query or a form (<c>?start=2026-12-08T09:00:00+11:00</c>): with its offset, that instant;
/// without one (<c>2026-12-08T09:00:00</c>, a link edited by hand), the business's wall-clock time, read in its time zone
/// (a time the clocks skip moves forward), never in the server's. The default binder read it in the server's zone (UTC).
/// Text that is no time is a field error and binds nothing.
/// </summary>
public sealed class BusinessTimeBinder : IModelBinder
{
    public const string Message = "Give the time as 2026-12-08T09:00:00+11:00.";

    public async Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var posted = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (posted == ValueProviderResult.None || string.IsNullOrWhiteSpace(posted.FirstValue))
        {
            return;
        }

        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, posted);
        var text = posted.FirstValue.Trim();
        var offsetless = DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) && parsed.Kind == DateTimeKind.Unspecified;
        if (Read(text, offsetless ? await ZoneAsync(bindingContext.HttpContext) : null) is { } value)
        {
            bindingContext.Result = ModelBindingResult.Success(value);
        }
        else
        {
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, Message);
            bindingContext.Result = ModelBindingResult.Failed();
        }
    }

    /// <summary>
    /// The business's zone: binding comes before the portal page reads its business, so from <c>?name=</c> here (the
    /// cached directory, as the page does); null (UTC) where there is none, and the page answers that itself.
    /// </summary>
    private static async Task<string?> ZoneAsync(HttpContext http)
    {
        if (http.RequestServices.GetService<ITenantContext>() is { Current: { } current })
        {
            return current.TimeZone;
        }

        return await http.RequestServices.GetRequiredService<TenantResolver>().FromQueryAsync(http.Request.Query, http.RequestAborted) is TenantLookup.Found found
            ? found.Tenant.TimeZone
            : null;
    }

    /// <summary>The instant <paramref name="text"/> names; an offset-less time in <paramref name="timeZone"/> (UTC if none).</summary>
    public static DateTimeOffset? Read(string text, string? timeZone)
    {
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return null;
        }

        if (parsed.Kind != DateTimeKind.Unspecified)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) ? withOffset : null;
        }

        var zone = (timeZone is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone)) ?? DateTimeZone.Utc;
        try
        {
            return LocalDateTime.FromDateTime(parsed).InZoneLeniently(zone).ToDateTimeOffset();
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException or OverflowException)
        {
            return null; // year 1 east of UTC, or 9999 west of it: no instant a DateTimeOffset holds, so no time at all
        }
    }
}
