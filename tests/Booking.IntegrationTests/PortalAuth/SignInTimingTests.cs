using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Unknown email and wrong password must take the same time. Timing needs a quiet machine: this class runs in a
/// collection that is not run in parallel with the others.
/// </summary>
[CollectionDefinition(nameof(SignInTimingTests), DisableParallelization = true)]
public sealed class SignInTimingCollection : ICollectionFixture<SharedApp>;

[Collection(nameof(SignInTimingTests))]
public sealed class SignInTimingTests(SharedApp shared)
{
    [Fact]
    public async Task Unknown_email_and_wrong_password_answer_alike_in_status_body_and_time()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var http = shared.App.NewClient();
        await http.RegisterAsync(biz.Slug, email);
        var anonymous = shared.App.CreateClient(new() { HandleCookies = false });

        // Warm up both paths (JIT, connection pools, the dummy hash).
        await anonymous.SignInAsync(biz.Slug, PortalAuthHelpers.NewEmail(), "warm up the unknown path please");
        await anonymous.SignInAsync(biz.Slug, email);

        var unknownTimes = new List<double>();
        var wrongTimes = new List<double>();
        string? unknownBody = null, wrongBody = null;
        // The issue asks for 100 tries each at least; 200 lower the chance that the shared machine's load (other test
        // projects run beside this one) moves one median and not the other (one run in about ten missed by < 1 ms
        // with 100 while the paired difference was -1.3 ms).
        for (var i = 0; i < 200; i++)
        {
            // The right password every 9 tries clears the count, so the lockout does not cut the sample short.
            if (i % 9 == 8)
            {
                Assert.Equal(HttpStatusCode.OK, (await anonymous.SignInAsync(biz.Slug, email)).StatusCode);
            }

            // Alternate which goes first, so load on the machine falls on both alike.
            var unknownCall = () => TimedAsync(() => anonymous.SignInAsync(biz.Slug, $"nobody-{i}-{Guid.NewGuid():N}@example.com", "a wrong password for nobody here"));
            var wrongCall = () => TimedAsync(() => anonymous.SignInAsync(biz.Slug, email, "a wrong password for nobody here"));
            (HttpStatusCode, string, double) first, second;
            if (i % 2 == 0)
            {
                first = await unknownCall();
                second = await wrongCall();
            }
            else
            {
                second = await wrongCall();
                first = await unknownCall();
            }

            var (status1, body1, t1) = first;
            var (status2, body2, t2) = second;
            Assert.Equal(HttpStatusCode.Unauthorized, status1);
            Assert.Equal(HttpStatusCode.Unauthorized, status2);
            unknownBody ??= body1;
            wrongBody ??= body2;
            Assert.Equal(unknownBody, body1);
            Assert.Equal(wrongBody, body2);
            unknownTimes.Add(t1);
            wrongTimes.Add(t2);
        }

        Assert.Equal(unknownBody, wrongBody);
        // Each pair ran back to back, so the median of the pairwise differences also cancels the load of the
        // shared machine (other builds and tests), which moves both paths alike.
        var paired = Median(unknownTimes.Zip(wrongTimes, (u, w) => u - w).ToList());
        // The issue's own measure is the difference of the two medians. Over a run it is a measure only on a steady
        // machine: when the load changes part way (another test project starts or ends), about half the tries of each
        // path are slow and half fast, and each median falls between the two groups, where one try more on a side moves
        // it by tens of ms (CI saw 232.4 against 216.3 ms with a pairwise difference of 0.2 ms). So it is held to 15 ms
        // when the run was steady: the median times of its blocks of 20 back-to-back pairs within 15 ms of each other,
        // as on a quiet machine. The pairwise difference, which load does not move, is held to 15 ms always.
        const int block = 20;
        var blockTimes = Enumerable.Range(0, unknownTimes.Count / block)
            .Select(b => Median(unknownTimes.GetRange(b * block, block).Concat(wrongTimes.GetRange(b * block, block)).ToList()))
            .ToList();
        var steady = blockTimes.Max() - blockTimes.Min() < 15;
        var medians = Median(unknownTimes) - Median(wrongTimes);
        var numbers = $"medians: unknown {Median(unknownTimes):F1} ms, wrong password {Median(wrongTimes):F1} ms; " +
                      $"median pairwise difference {paired:F1} ms; blocks' median times {blockTimes.Min():F1}–{blockTimes.Max():F1} ms " +
                      $"({(steady ? "steady" : "not steady")})";
        Assert.True(Math.Abs(paired) < 15, numbers);
        if (steady)
        {
            Assert.True(Math.Abs(medians) < 15, numbers);
        }
    }

    private static async Task<(HttpStatusCode, string, double)> TimedAsync(Func<Task<HttpResponseMessage>> call)
    {
        var watch = Stopwatch.StartNew();
        var response = await call();
        var body = await response.Content.ReadAsStringAsync();
        watch.Stop();
        return (response.StatusCode, body, watch.Elapsed.TotalMilliseconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[sorted.Count / 2] + sorted[(sorted.Count - 1) / 2]) / 2;
    }
}
