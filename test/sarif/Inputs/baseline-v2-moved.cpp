// Lines added above the findings, and the code around them reformatted:
// the two findings must stay "unchanged".
#include <mutex>
#include <unistd.h>

int unrelated = 0;

std::mutex mu;

void poll()
{
    std::lock_guard<std::mutex>   lock(mu);
    sleep(1);
    sleep(1);
}
