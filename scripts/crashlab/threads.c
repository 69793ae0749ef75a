/* A process with three more threads, all asleep, for the task-list truth of the crashlab guest:
 * threads hang off their leader's signal->thread_head, not off init_task.tasks. Built static
 * (the initramfs has no libc) by make-vmcores.sh. */
#include <pthread.h>
#include <unistd.h>

static void *sleeper(void *arg) {
    for (;;) {
        pause();
    }
    return arg;
}

int main(void) {
    pthread_t t;
    for (int i = 0; i < 3; i++) {
        if (pthread_create(&t, NULL, sleeper, NULL) != 0) {
            return 1;
        }
    }
    for (;;) {
        pause();
    }
}
