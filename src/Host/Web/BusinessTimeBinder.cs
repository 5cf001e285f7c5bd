using System.Globalization;
using Booking.BuildingBlocks.Tenancy;
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

    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var posted = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (posted == ValueProviderResult.None || string.IsNullOrWhiteSpace(posted.FirstValue))
        {
            return Task.CompletedTask;
        }

        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, posted);
        var text = posted.FirstValue.Trim();
        var zoneId = bindingContext.HttpContext.RequestServices.GetService(typeof(ITenantContext)) is ITenantContext { Current: { } business }
            ? business.TimeZone
            : null;
        if (Read(text, zoneId) is { } value)
        {
            bindingContext.Result = ModelBindingResult.Success(value);
        }
        else
        {
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, Message);
            bindingContext.Result = ModelBindingResult.Failed();
        }

        return Task.CompletedTask;
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
        return LocalDateTime.FromDateTime(parsed).InZoneLeniently(zone).ToDateTimeOffset();
    }
}
