using System.Net;
using System.Net.Http.Json;
using Booking.BuildingBlocks.Jobs;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Features.Register;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Register sent through the mediator with no HTTP request around it (as a job or an import would): the validator and
/// the handler read the mobile with the business's country from the unit of work's tenant, not from a request.
/// </summary>
public sealed class RegisterOutsideRequestTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Theory]
    [InlineData("AU", "0412 345 678", "+61412345678")]
    [InlineData("GB", "07400 123456", "+447400123456")]
    public async Task A_national_mobile_is_read_with_the_business_country(string country, string typed, string e164)
    {
        var bizId = await SignUpInAsync(country);
        var email = PortalAuthHelpers.NewEmail();

        var registered = await OutsideRequestAsync(bizId, sender => sender.Send(new Register("Nora", "Norequest", email, PortalAuthHelpers.Password, typed)).AsTask());

        Assert.Equal("active", registered.Status);
        Assert.Equal(e164, await Sql.AdminScalarAsync<string>(App.Database.Database, "SELECT mobile FROM portalauth.clients WHERE id = @id", ("id", registered.Id)));
    }

    [Fact]
    public async Task A_bad_mobile_is_reported_with_the_other_bad_fields_outside_a_request_too()
    {
        var bizId = await SignUpInAsync("AU");

        var refused = await Assert.ThrowsAsync<ValidationException>(() => OutsideRequestAsync(bizId,
            sender => sender.Send(new Register("", "Norequest", PortalAuthHelpers.NewEmail(), PortalAuthHelpers.Password, "02 9999 9999")).AsTask()));

        Assert.Equal(["FirstName", "Mobile"], refused.Errors.Select(e => e.PropertyName).Order(StringComparer.Ordinal));
    }

    /// <summary>A scope with the business's tenant restored, as a background job gets it; no HTTP context anywhere.</summary>
    private Task<T> OutsideRequestAsync<T>(Guid tenantId, Func<ISender, Task<T>> send) =>
        Task.Run(async () =>
        {
            Assert.Null(App.Services.GetRequiredService<IHttpContextAccessor>().HttpContext);
            await using var scope = await TenantScope.OpenAsync(App.Services.GetRequiredService<IServiceScopeFactory>(), tenantId, CancellationToken.None);
            return await send(scope.ServiceProvider.GetRequiredService<ISender>());
        });

    private async Task<Guid> SignUpInAsync(string country)
    {
        var slug = $"noreq-{Guid.NewGuid().ToString("N")[..10]}";
        var response = await App.NewClient().PostAsJsonAsync("/api/v1/tenants", new
        {
            slug,
            name = $"Business {slug}",
            timeZone = country == "GB" ? "Europe/London" : "Australia/Sydney",
            countryCode = country,
            owner = new { name = "Olive Owner", email = $"owner@{slug}.example", password = TestBusiness.OwnerPassword },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }
}
